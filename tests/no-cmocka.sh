#!/bin/sh
# make check runs this in place of the unit tests (tests/t-*) when configure
# found no cmocka: the program builds without it, its test suite does not.
# A hard error (99), not a skip: a check without its unit tests is no check.
echo "cmocka was not found when configure ran: the unit tests (tests/t-*) are" >&2
echo "not built. Install libcmocka-dev (./bootstrap --install-deps does) and" >&2
echo "run configure again." >&2
exit 99
