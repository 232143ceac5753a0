// The key algorithms the station generates and accepts, with their CLI/profile names.
#pragma once

#include "Error.h"

#include <QString>
#include <QStringList>

namespace station::crypto {

enum class KeyType { Rsa2048, Rsa3072, Rsa4096, EcP256, EcP384, EcP521, Ed25519 };

/// "rsa2048", "rsa3072", "rsa4096", "p256", "p384", "p521", "ed25519" (also accepts "ec-p256",
/// "prime256v1", "secp384r1", "secp521r1", "rsa" = rsa2048, case-insensitive).
[[nodiscard]] Result<KeyType> parseKeyType(const QString &name);
/// The canonical CLI name ("p256").
[[nodiscard]] QString keyTypeName(KeyType type);
/// All canonical names, for help texts.
[[nodiscard]] QStringList keyTypeNames();

} // namespace station::crypto
