"""jwcrypto's side of tests/seal_interop.rs: Formwerk's encrypted files and keys read and
written by another JOSE implementation.

  jose_tool.py open-key KEYFILE PASSFILE            -> {"kid", "thumbprint", "private"}
  jose_tool.py decrypt KEYFILE PASSFILE JWEFILE     -> {"header", "plaintext"}
  jose_tool.py encrypt JWKFILE PLAINFILE [ALG ENC]  -> the compact JWE (stdout)
  jose_tool.py new-key                              -> a private JWK (RSA 3072) as JSON

jwcrypto refuses PBES2 iteration counts above 16,384 by default (a guard against files that
ask for billions); Formwerk's key files use 600,000 (Web Crypto opens them in about a second),
so the limit is raised here to Formwerk's own upper bound, 10,000,000.
"""

import json
import sys

from jwcrypto import jwa, jwe, jwk

jwa.default_max_pbkdf2_iterations = 10_000_000


def read(path):
    with open(path, "rb") as f:
        return f.read()


def passphrase(path):
    return read(path).decode("utf-8").splitlines()[0].encode("utf-8")


def open_key(key_path, pass_path):
    token = jwe.JWE()
    token.allowed_algs = ["PBES2-HS512+A256KW", "A256GCM"]
    token.deserialize(read(key_path).decode("ascii").strip())
    token.decrypt(jwk.JWK.from_password(passphrase(pass_path).decode("utf-8")))
    return jwk.JWK.from_json(token.payload), json.loads(token.objects["protected"])


def main(args):
    command = args[0]
    if command == "open-key":
        key, header = open_key(args[1], args[2])
        print(json.dumps({
            "kid": header.get("kid"),
            "thumbprint": key.thumbprint(),
            "private": key.has_private,
        }))
    elif command == "decrypt":
        key, _ = open_key(args[1], args[2])
        token = jwe.JWE()
        token.allowed_algs = ["RSA-OAEP-256", "A256GCM"]
        token.deserialize(read(args[3]).decode("ascii").strip(), key=key)
        print(json.dumps({
            "header": json.loads(token.objects["protected"]),
            "plaintext": token.payload.decode("utf-8"),
        }))
    elif command == "encrypt":
        public = jwk.JWK.from_json(read(args[1]))
        kid = json.loads(read(args[1]))["kid"]
        alg, enc = (args[3], args[4]) if len(args) > 4 else ("RSA-OAEP-256", "A256GCM")
        header = {"alg": alg, "enc": enc, "kid": kid, "cty": "application/json"}
        token = jwe.JWE(read(args[2]), json.dumps(header))
        token.allowed_algs = [alg, enc]
        token.add_recipient(public)
        print(token.serialize(compact=True))
    elif command == "new-key":
        key = jwk.JWK.generate(kty="RSA", size=3072)
        key.update(kid=key.thumbprint())
        print(key.export_private())
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv[1:])
