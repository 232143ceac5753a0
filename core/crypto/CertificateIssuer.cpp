#include "CertificateIssuer.h"
