#include "ChainVerifier.h"
