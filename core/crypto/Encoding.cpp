#include "Encoding.h"
