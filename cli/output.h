/*
 * purge-old-kernels - what the user reads, one header for all of it:
 *   format.h      the stream's style, sizes, wrapping, release lists
 *   command.h     the command as shown: quoting, the plan's options, steps
 *   boot-space.h  /boot's sentence and bar
 *   list.h        the --list table and apt's view
 *   plan-text.h   every sentence about a plan: dry run, summary, notices
 *   log.h         errors, warnings and notices, to stderr or the journal
 */
#ifndef CLI_OUTPUT_H
#define CLI_OUTPUT_H

#include "boot-space.h"
#include "command.h"
#include "format.h"
#include "list.h"
#include "log.h"
#include "plan-text.h"

#endif /* CLI_OUTPUT_H */
