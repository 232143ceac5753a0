#include "Certificate.h"
