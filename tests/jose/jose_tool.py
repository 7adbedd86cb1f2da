"""The independent JOSE side of the encryption tests (jwcrypto, pinned in requirements.txt).

    keys DIR KID PASSPHRASE    an RSA-4096 key pair: DIR/public.jwk (the page's encrypt_to),
                               DIR/private.jwk (for decrypting here) and DIR/private.key.jwe
                               (PBES2-HS512+A256KW, p2c 600000: the inbox's key file)
    decrypt PRIVATE_JWK FILE   the plaintext of a compact JWE, written to stdout as bytes;
                               prints the protected header to stderr as JSON
    encrypt PUBLIC_JWK IN OUT [HEADER_JSON]
                               a compact JWE of IN's bytes; the protected header defaults to
                               the contract's (RSA-OAEP-256, A256GCM, kid, cty)
    thumbprint PUBLIC_JWK      the RFC 7638 thumbprint (SHA-256, base64url)
"""

import base64
import json
import os
import sys

from jwcrypto import jwa, jwe, jwk

# The contract's 600 000 PBKDF2 rounds are above jwcrypto's default ceiling (16 384).
jwa.default_max_pbkdf2_iterations = 1_000_000


def keys(folder, kid, passphrase):
    key = jwk.JWK.generate(kty="RSA", size=4096, kid=kid, alg="RSA-OAEP-256", use="enc")
    public = json.loads(key.export_public())
    with open(os.path.join(folder, "public.jwk"), "w") as f:
        json.dump(public, f, indent=2)
    private = key.export_private()
    with open(os.path.join(folder, "private.jwk"), "w") as f:
        f.write(private)
    header = {
        "alg": "PBES2-HS512+A256KW",
        "enc": "A256GCM",
        "p2s": base64.urlsafe_b64encode(os.urandom(16)).rstrip(b"=").decode(),
        "p2c": 600000,
        "cty": "jwk+json",
        "kid": kid,
    }
    sealed = jwe.JWE(private.encode(), protected=json.dumps(header))
    sealed.add_recipient(jwk.JWK.from_password(passphrase))
    with open(os.path.join(folder, "private.key.jwe"), "w") as f:
        f.write(sealed.serialize(compact=True))


def load(path):
    with open(path) as f:
        return jwk.JWK.from_json(f.read())


def decrypt(private_path, path):
    token = jwe.JWE()
    with open(path) as f:
        token.deserialize(f.read().strip(), key=load(private_path))
    sys.stderr.write(json.dumps(token.jose_header) + "\n")
    sys.stdout.buffer.write(token.payload)


def encrypt(public_path, source, out, header=None):
    key = load(public_path)
    protected = json.loads(header) if header else {
        "alg": "RSA-OAEP-256",
        "enc": "A256GCM",
        "kid": json.loads(key.export_public())["kid"],
        "cty": "application/json",
    }
    with open(source, "rb") as f:
        plain = f.read()
    token = jwe.JWE(plain, protected=json.dumps(protected),
                    algs=[protected["alg"], protected["enc"]])
    token.add_recipient(key)
    with open(out, "w") as f:
        f.write(token.serialize(compact=True))


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "keys":
        keys(*args)
    elif command == "decrypt":
        decrypt(*args)
    elif command == "encrypt":
        encrypt(*args)
    elif command == "thumbprint":
        print(load(args[0]).thumbprint())
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
