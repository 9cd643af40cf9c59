## Bash completion, loaded by bash-completion on first use of the command.
dist_bashcompletion_DATA = completion/purge-old-kernels
