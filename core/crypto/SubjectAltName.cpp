#include "SubjectAltName.h"
