#include "KeyType.h"
