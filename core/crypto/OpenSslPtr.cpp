#include "OpenSslPtr.h"
