// SwiftPM needs a source file in every C target; the declaration in include/FuzzerDriver.h is
// the whole point of this module (libFuzzer itself defines the function).
#include "FuzzerDriver.h"
