#include "DistinguishedName.h"
