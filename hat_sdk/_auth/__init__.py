"""HAT tokens: login, verification, sliding refresh and single-flight renewal."""
