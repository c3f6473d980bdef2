#ifndef SLUICE_CFREEXL_SHIM_H
#define SLUICE_CFREEXL_SHIM_H
#include <freexl.h>
#endif
