// libFuzzer's entry point for programs that have their own `main` (SwiftPM gives every
// executable target one), declared for Swift; the sanitizer runtime linked by
// `-sanitize=fuzzer` defines it. Each fuzz target's main.swift hands it the command line.
#ifndef FUZZER_DRIVER_H
#define FUZZER_DRIVER_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
