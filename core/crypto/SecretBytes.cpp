#include "SecretBytes.h"
