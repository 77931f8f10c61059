import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { recognize, redact } from '../../src/recognize';

// Look-alike secrets, made up for the tests.
const jwt =
  'eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.eyJqdGkiOiI3YzFmIiwic3ViIjoiMDAwMDAwMDAtMDAwMC0wMDAwIn0.U2lnbmF0dXJlVGhhdElzTG9uZ0Vub3VnaA';
const adminPassword = 'Xq7vL2pR9sT4wY6zA1bC3dE5fG8hJ0kM+nP/uV=';
const accountKey = 'dGhpcyBpcyBub3QgYSByZWFsIGtleSBidXQgbG9va3MgbGlrZSBvbmU9PQ==';
const sasSignature = 'Qk3xV9yF%2Bf0LzR1pT7Yb8mHn2sW4eC6aD0gJ5kU9vXo%3D';

describe('redact masks', () => {
  test.each([
    ['docker login -p', `docker login myreg.azurecr.io -u myreg -p ${adminPassword}`, adminPassword],
    [
      '--password with a space',
      `az acr login -n myreg --username myreg --password ${adminPassword}`,
      adminPassword,
    ],
    [
      '--password=',
      `helm registry login myreg.azurecr.io --username u --password=${adminPassword}`,
      adminPassword,
    ],
    ['a quoted password', `oras login myreg.azurecr.io -u u -p "${adminPassword}"`, adminPassword],
    [
      'kubectl --docker-password',
      `kubectl create secret docker-registry acr --docker-password=${adminPassword}`,
      adminPassword,
    ],
    ['an Authorization header', `Authorization: Bearer ${jwt}`, jwt],
    [
      'a basic Authorization header',
      'Authorization: Basic dXNlcm5hbWU6cGFzc3dvcmQxMjM0NTY=',
      'dXNlcm5hbWU6cGFzc3dvcmQxMjM0NTY=',
    ],
    [
      'a bare bearer token',
      'curl -H "Bearer c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4"',
      'c2VjcmV0LXRva2VuLXZhbHVlLTEyMzQ1Njc4',
    ],
    ['an ACR refresh token in JSON', `{"refresh_token": "${jwt}"}`, jwt],
    [
      'an access token from --expose-token',
      `{\n  "accessToken": "${jwt}",\n  "loginServer": "myreg.azurecr.io"\n}`,
      jwt,
    ],
    ['a token in a form body', `grant_type=access_token&service=myreg.azurecr.io&access_token=${jwt}`, jwt],
    [
      'a storage connection string',
      `DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${accountKey};EndpointSuffix=core.windows.net`,
      accountKey,
    ],
    [
      'a SAS signature',
      `Get "https://acct.blob.core.windows.net/c/b?sv=2019-12-12&sr=b&sig=${sasSignature}&sp=r"`,
      sasSignature,
    ],
    [
      'a SharedAccessSignature',
      'SharedAccessSignature=sv=2021-06-08&sig=abc123def456ghi789&se=2030',
      'abc123def456ghi789',
    ],
    [
      'credentials in a URL',
      `https://myreg:${encodeURIComponent(adminPassword)}@myreg.azurecr.io/v2/`,
      encodeURIComponent(adminPassword),
    ],
    ['an environment variable', `ACR_PASSWORD=${adminPassword}`, adminPassword],
    [
      'a client secret variable',
      'AZURE_CLIENT_SECRET=Zx8~Qv.1-abcdefghijklmnopqrstuv',
      'Zx8~Qv.1-abcdefghijklmnopqrstuv',
    ],
    [
      'docker config auth',
      '{"auths":{"myreg.azurecr.io":{"auth":"bXlyZWc6c2VjcmV0cGFzc3dvcmQ="}}}',
      'bXlyZWc6c2VjcmV0cGFzc3dvcmQ=',
    ],
    [
      'az acr credential show',
      `{\n  "passwords": [\n    {\n      "name": "password",\n      "value": "${adminPassword}"\n    }`,
      adminPassword,
    ],
    ['escaped JSON', `{\\"password\\":\\"${adminPassword}\\"}`, adminPassword],
    ['a password: line', `password: ${adminPassword}`, adminPassword],
    [
      'a value echoed into --password-stdin',
      `echo "${adminPassword}" | docker login myreg.azurecr.io -u myreg --password-stdin`,
      adminPassword,
    ],
    [
      'a here-string into --password-stdin',
      `docker login myreg.azurecr.io -u x --password-stdin <<< ${adminPassword}`,
      adminPassword,
    ],
    [
      'a GitHub token',
      'git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/x/y',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    ],
    [
      'a password glued to -p on a login line (as Ansible prints it)',
      `"cmd": "docker login -u stagingacr -p${adminPassword} stagingacr.azurecr.io", "rc": 1`,
      adminPassword,
    ],
    [
      'the password half of podman --creds',
      `podman login --creds ciuser:${adminPassword} stagingacr.azurecr.io`,
      adminPassword,
    ],
    [
      'skopeo --src-creds and --dest-creds',
      `skopeo copy --src-creds "me:${adminPassword}" --dest-creds=myreg:${accountKey} docker://a docker://b`,
      accountKey,
    ],
    ['a PowerShell environment variable', `$env:ACR_TOKEN = "${adminPassword}"`, adminPassword],
    ['a PowerShell variable without quotes', `$env:REGISTRY_PASSWORD   =   ${accountKey}`, accountKey],
    [
      'the string given to ConvertTo-SecureString',
      `$pw = ConvertTo-SecureString "${adminPassword}" -AsPlainText -Force`,
      adminPassword,
    ],
    [
      'a private key',
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\nabcdef\n-----END RSA PRIVATE KEY-----',
      'MIIEowIBAAKCAQEA7',
    ],
  ])('%s', (_, text, secret) => {
    const out = redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('***');
  });

  test('both halves of skopeo credentials keep the user and hide the password', () => {
    expect(redact(`skopeo copy --src-creds "me:${adminPassword}" --dest-creds=myreg:${accountKey} x`)).toBe(
      'skopeo copy --src-creds "me:***" --dest-creds=myreg:*** x',
    );
  });
});

describe('redact keeps', () => {
  test.each([
    ['--password-stdin itself', 'cat pw.txt | docker login myreg.azurecr.io -u myreg --password-stdin'],
    ['variables', 'docker login myreg.azurecr.io -u $ACR_USER -p $ACR_PASSWORD'],
    [
      'a challenge header',
      'Www-Authenticate: Bearer realm="https://myreg.azurecr.io/oauth2/token",service="myreg.azurecr.io"',
    ],
    [
      'error text about tokens',
      'failed to authorize: failed to fetch oauth token: unexpected status: 401 Unauthorized',
    ],
    [
      'the DENIED message',
      "denied: client with IP '203.0.113.9' is not allowed access. Refer https://aka.ms/acr/firewall",
    ],
    ['a digest', 'Digest: sha256:4b4a3c8d1f2e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b'],
    ['boolean settings', '"passwordEnabled": true'],
    ["Docker's own warning", 'WARNING! Using --password via the CLI is insecure. Use --password-stdin.'],
    ['a -p flag on a line that logs in nowhere', 'mysqldump -pretty -ports 3306'],
    ['credentials held in a variable', 'podman login --creds "$ACR_CREDS" myreg.azurecr.io'],
    ['a cmdlet assigned to a secret-named variable', '$password = Read-Host -AsSecureString'],
    [
      'timeouts',
      'lookup myreg.azurecr.io on 10.0.0.10:53: read udp 10.244.0.5:38882->10.0.0.10:53: i/o timeout',
    ],
  ])('%s', (_, text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('nothing the recognizer outputs repeats a secret', () => {
  const secrets = [jwt, adminPassword, accountKey, sasSignature];
  const paste = [
    `$ docker login myreg.azurecr.io -u 00000000-0000-0000-0000-000000000000 -p ${jwt}`,
    `Error response from daemon: Get "https://myreg.azurecr.io/v2/": denied: client with IP '203.0.113.9' is not allowed access. Refer https://aka.ms/acr/firewall to grant access. password=${adminPassword}`,
    `failed to copy: httpReadSeeker: failed open: failed to do request: Get "https://myreg.westeurope.data.azurecr.io/blob?sig=${sasSignature}&sp=r": dial tcp 20.1.2.3:443: i/o timeout AccountKey=${accountKey}`,
  ].join('\n');

  test('in the evidence, the registry and the facts', () => {
    const out = JSON.stringify(recognize(paste));
    for (const secret of secrets) expect(out).not.toContain(secret);
    expect(out).toContain('client with IP');
  });

  test('in every fixture with a secret in it', () => {
    const text = readFileSync(
      join(__dirname, '..', 'fixtures', 'pastes', 'auth', 'az-login-admin-disabled.txt'),
      'utf8',
    );
    const out = JSON.stringify(recognize(text));
    expect(out).not.toMatch(/eyJ[A-Za-z0-9_-]{10}/);
    const proxy = readFileSync(
      join(__dirname, '..', 'fixtures', 'pastes', 'proxy-login-failed', 'docker-login-403.txt'),
      'utf8',
    );
    expect(JSON.stringify(recognize(proxy))).not.toContain('S3cr3tP4ssw0rdFromPortal');
  });
});

test('redaction is linear on hostile input', () => {
  for (const unit of [
    'password=',
    ' -p x',
    '"a":"',
    'eyJ',
    'https://a:b',
    'Bearer ',
    '-----BEGIN ',
    'echo x --password-stdin ',
    'login -px ',
    '--creds a:b ',
    '$env:TOKEN = ',
    'ConvertTo-SecureString ',
  ]) {
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length));
    expect(typeof redact(text)).toBe('string');
  }
});
