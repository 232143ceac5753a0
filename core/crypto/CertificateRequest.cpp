#include "CertificateRequest.h"
