#include "Pkcs7.h"
