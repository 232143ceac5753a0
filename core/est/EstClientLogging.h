// The logging category of the EST client (station.est.client). Never log keys or passwords through it.
#pragma once

#include <QLoggingCategory>

namespace station::est {
Q_DECLARE_LOGGING_CATEGORY(lcEstClient)
} // namespace station::est
