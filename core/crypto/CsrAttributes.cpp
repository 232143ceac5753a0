#include "CsrAttributes.h"
