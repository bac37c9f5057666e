/**
 * The sandbox's fixed, well-known credentials. SANDBOX ONLY: published in this repository on
 * purpose so a new user can run a batch end to end with no account; they open nothing anywhere but
 * this 127.0.0.1 server. Never use them (or these RSA keys) against a real provider.
 */
import { createPublicKey, type KeyObject } from 'node:crypto';

/** RSA-2048 merchant key pair for Wonder (SANDBOX ONLY). The sandbox verifies with its public half. */
export const SANDBOX_WONDER_PRIVATE_KEY_PEM = `
-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQCxGNiOpg7CcE6u
gMbxNyKi4FWzSH1XeCOjMcogDswqH7+scd0QO6uAqZUvWYbnzIqp+AD/Vv6Lriep
eEjhxmyMQi9BV2mCFFkYrbB0ymu085ZXs5n5EPJ26hEFLQjr4empsUFpPj4lum4L
gMS6bTjOrsx0iliyhm/ijd75BWTV6lD4kBPA70Z110W0VOkuYJ6t75y9XaQc2FLs
0y8asvl7qlm7nhbzbirK5hAwx84ItwDI7ekv+u5kznIRY/URgRZl47eSDQSf3B1b
OmKlms6IWrtmH0ZB6mLPkUfW132EGCfIkN1B3Xa7+F5RjcjGd66JETh+tbwRvjXr
J49s2wazAgMBAAECggEACw1b5nsijKvpnSZYRBGGzddmQcwSVnUe9D5VOO7zeuWE
VsS8YRj4OQ1cTBowOyMevEDH/yd0t07lFsR09/IkMBSpUlCcOwv+C3Y7fu5rDl3t
UgfZYhvWpekxqrsGxYHRzU9Mn77MrhoWaA1fOas7UlrCU7uWkX2mWeM0uSHHCzp7
sUtxEBWXrjktQ5nF69NLjjc0XNwtQWzRE6GF6snGUKM9XyTRkd3Y2QZjm3WfXAiK
YaVOR/5IeUybI1I5gdhHq10ov8j5p129Bmrxlm0JNntdxkgX66CyYtbyga51rA0I
LA+UIu6akDR0G9aSE59YLZ0yaRAoJwsxD4K8RTpqYQKBgQDlGsPw3cDEz4+3o/IZ
Mc4ntYJKqYhQSILZDzotJ7hVH324tTsrHJs4WT9hORS+bO+F+lMF5SnRPgN0HgHl
AO3W+F/cU39EAijoxLN6NrKBX9Y26TG6CLSXeDtkuRRcRMfIE6QNA3AIX1nC9Njh
mDRYq8lEExMhuE4PJS6RZn2pKwKBgQDF4xv7G9lFcqZ53F62GUnFnb8ngtZSWiaA
ONGeaKu1G9uigM3IfpsyG5KdU4HQCXI0MSTYMd66yJZjOobwo63RKd0681X0q8Iz
88phpnMnAezHe68xm7DZQ/lK2pp8WU7bkeOpp8kYz5l0aW7OQdPvR3nGtlWKABkk
ed+4DLTEmQKBgQCtPPP06nmdWKX/4sRqMLMGa8W91zvwGSR4JX+ELYjBNTLHvKKl
Eth8X2ABkDwTUiQ8VvD4gDSCuDW8VARyuaUe7GjwHWMaddehSzu7qiiIk4NTujmT
xoloD845d4nhy1CWBeQCwxqv+gnR1Xs5+vF6K0vhYdsRoF/GLANuhuV2SQKBgD2t
wwvqqzcNPDxhZpflm+vfdjRPgJPci4GNtDBmuZZSn4uwD/P9Gkxs8a7d12lLeHAy
HSTRrnWTjeRR2rtomQXHwa/dJp6DZp2g0CTNp7ixzeaDc6DHwUCHAk3Fgz9c6spf
V5GKvZBhLJhvQF1DgVZkdd1s+Y5w52VKI2QPecyJAoGBAM3n4n1xc4mr6RWbak4C
tkfeEVdrd4ENadmz+5nOve0VwhXDhD2Rt5hkSdrZ/9TN56SYAqP9CD84D376Szll
lYMD/6cteQHMhhj17zSs36N/y2Sy1Mqzo2EZ/+TFbfDSyUZGmd6pBnPVJZQ0whdp
JtuSOZg52t9xOEWdPa9jyJIb
-----END PRIVATE KEY-----
`.trimStart();

/** RSA-2048 merchant key pair for HyperCard (SANDBOX ONLY; HyperCard's docs say 1024-bit, 2048 is accepted). */
export const SANDBOX_HYPERCARD_PRIVATE_KEY_PEM = `
-----BEGIN PRIVATE KEY-----
MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQCw6Ns7Eao9s1Yr
ZbJqe6Lyj20a88TqH5A+1EJWLXEIYFINLBjBLslpz4Txb6HVM1Lf8wL3cQVsM4W2
W+AvxxIb8VxY3a4C8hNn4Nho7ruQ6wjYsOVOUgh0Lbic/5tvblgun57+e5mNjiLl
l57Px11USr0bsJ0+kjxQykxYqWBvZ25rLAZKhBRoUL12wZHKZr4Cul4jKehSxRN1
hqxcpts1lHFgOrDqD6ePAVxd7Jlm9+bqtuzr+gvYrehDqQj54k7zF80dF2EOP3H0
ywbKbfTbnmUFsZQyUi9q4GWF2KhpzZlYZMpS8FMuium6DmL9hV6CzZ/uZYtUQ+24
2WoFYTsFAgMBAAECggEADbCuEHjk50/wFefRjKx4gb6oJzsLN2v4YL2nzDKe3z1R
ntvVUZPM5Io5g+k13pa8GIEI2dGuT/8qXzWRGIQWVRZn5VJIWPQsnMVkBzYcSpIU
Ve0rMupQZanechB/Zzo54D0cKR4zAJGUhpcQZDdjHqFcV4l4GFi+3/37tlZrKaEN
ZKeoQecR2/7KpzRUfXzNCP8zpQobXZUjdPzN1kEn0KjZm8lr7gOBaehp9oGl6soG
JSVGLzUEHV557Iz10VLls42ETJpjoI5bLmqcrBszgBXiX0ZJ7rcdSvFIQ1WJK2NP
X/NQcffzVhZVxJ07jfNPuiiLSIZ/Is8RwHjvXT1NyQKBgQDs0me1x5SciuJmnM5j
OobZlYoyma7Ox/FU4/MzjRKikkhBfGYxCAJZJ7ruwNPe6eo5dMwOlGbsPe4UwA+h
VBdszJLVIJfZetmzDwKX1M1W13aFbQu1hR0N8c1zpx1Z55sndcg/umCczE7T4Pp+
NQZDEiFPkpKEO8paYXwXQvZ42QKBgQC/PGYyDcT5X7fPWFzjb4qxnmEFUVZdkEUi
sls4NreZHzyCPKBom5n8batQS2fytfYPzHksNnW5pnjoWON9wDK48DDJ08DhxNdA
xk3OkK3bo4f4xsWZ6NCQC3z2ShLOA5NgpYufxycrzgH+ROoBfLUVb1Je1XGZK4UN
R599kFbYDQKBgEx2gtXGYs1IamEHL/wJ4ZBPIBfGVxKcq+bk0plKa0HiSUIbkEM0
es2eblS4HbBThjSW6Wurrq+IL16zxFgqdoXCZ4Y4x86IQ9H0frnXE5V+a94Ynzc0
i3T9JYC57Fgi142eEdHBs3/s12bBtR8ar7LoH6k5geUACQ21fANms33BAoGAVZNi
q/1raqiBqYCCOKh+aRNVmTqXqlDYDzm/Bj2+FQBcZG9a3NTcqJAu/ERyJLN2hAVd
KALK1aQAMQEt8+ThDc82FerzQlSCepMC2G/3zPS18QaKAGCljAAIEHJ/Tb9d4P7T
p1FIXxrV24HdMYMryYbCVnuvVPqblKC7Z0YDBrUCgYBmyije0qooS5UrGQD9V+kA
ZOcOmJGZPnt3r1G1//+AWMA0Y0MywUtKdS9VssydpIq5C5U/JnWSPZ4264MtBa5E
ztjB/OBWRip1Lr5mz529F9d4L4i0f8RIzUFyP+CKVF846DBOozj/Ll5IGGXLPNL9
fF6DhKVSvWnk7U1WPKrtlQ==
-----END PRIVATE KEY-----
`.trimStart();

export const SANDBOX_CREDENTIALS = {
  wonder: { appId: 'sandbox-wonder-app-0001', privateKeyPem: SANDBOX_WONDER_PRIVATE_KEY_PEM },
  epay: { apiKey: 'sandbox-epay-api-key-0001' },
  sibs: { bearerToken: 'sandbox-sibs-bearer-0001', clientId: 'sandbox-sibs-client-0001', terminalId: '11111' },
  jpmmps: {
    userId: 'sandbox-jpmmps-user',
    password: 'sandbox-jpmmps-password',
    programAccno: '1679541175',
    accno: 'MERCHANT-DE4321',
    accnoType: '00',
    // SmartPay OpenAPI (SPEC §4B): merchantKey in the body and a whitelisted HTTPS Origin.
    merchantKey: '5a1d0b8e-0000-4000-8000-5a4db0c0ffee',
    origin: 'https://sandbox.batchdesk.invalid',
  },
  hypercard: { apiKey: 'sandbox-hypercard-merchant-0001', privateKeyPem: SANDBOX_HYPERCARD_PRIVATE_KEY_PEM },
} as const;

/** HyperCard cards the sandbox knows (card_id); any other id is "card does not exist". */
export const SANDBOX_HYPERCARD_CARD_IDS = ['00003454323400000028888', '00003454323400000031111', '00003454323400000042222'] as const;

let wonderPublic: KeyObject | undefined;
let hypercardPublic: KeyObject | undefined;

export function wonderPublicKey(): KeyObject {
  wonderPublic ??= createPublicKey(SANDBOX_WONDER_PRIVATE_KEY_PEM);
  return wonderPublic;
}

export function hypercardPublicKey(): KeyObject {
  hypercardPublic ??= createPublicKey(SANDBOX_HYPERCARD_PRIVATE_KEY_PEM);
  return hypercardPublic;
}
