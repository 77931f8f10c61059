import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Which CA signs a leaf: the Azure-like chain, or the TLS-inspecting proxy's own CA. */
export type Issuer = 'azure' | 'contoso';

/** A server certificate with its key; `cert` holds the leaf followed by the intermediates a server sends. */
export interface Leaf {
  key: string;
  cert: string;
}

/** What leaf certificate to issue. */
export interface LeafOptions {
  /** DNS names for the SAN, e.g. `*.azurecr.io`; the first is also the subject CN. */
  names: string[];
  issuer?: Issuer;
  /** A certificate whose notAfter lies in the past (CERT_HAS_EXPIRED). */
  expired?: boolean;
}

/** Test certificate authorities made at test time, with our own keys, in a temporary folder. */
export interface Pki {
  readonly dir: string;
  /** The Azure-like root ("DigiCert Global Root G2", our key): pass as the probe's `ca` to trust the chain. */
  readonly azureRoot: string;
  /** A file holding {@link azureRoot}, for `--ca-file` / `ACRCHECK_CA_FILE`. */
  readonly azureRootFile: string;
  /** The interception proxy's root, "Contoso Proxy CA". */
  readonly contosoRoot: string;
  readonly contosoRootFile: string;
  /** Issues a leaf certificate (a few milliseconds of `openssl`). */
  leaf(options: LeafOptions): Promise<Leaf>;
  /** Removes the folder. */
  remove(): Promise<void>;
}

/** Subject names as Azure's public CAs carry them (https://learn.microsoft.com/azure/security/fundamentals/azure-ca-details). */
export const testSubjects = {
  azureRoot: '/C=US/O=DigiCert Inc/OU=www.digicert.com/CN=DigiCert Global Root G2',
  azureIssuing: '/C=US/O=Microsoft Corporation/CN=Microsoft Azure RSA TLS Issuing CA 03',
  contosoRoot: '/C=US/O=Contoso Ltd/CN=Contoso Proxy CA',
} as const;

async function openssl(cwd: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error('the test PKI needs the openssl command line (apt-get install openssl)');
    }
    throw err;
  }
}

const caExtensions = [
  '[ca]',
  'basicConstraints = critical, CA:TRUE',
  'keyUsage = critical, keyCertSign, cRLSign',
  'subjectKeyIdentifier = hash',
  'authorityKeyIdentifier = keyid',
].join('\n');

async function key(dir: string, name: string): Promise<void> {
  await openssl(dir, [
    'genpkey',
    '-algorithm',
    'EC',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-out',
    `${name}.key`,
  ]);
}

async function sign(
  dir: string,
  name: string,
  subject: string,
  ca: string,
  days: number,
  ext: string,
): Promise<void> {
  await writeFile(join(dir, `${name}.ext`), ext);
  await openssl(dir, ['req', '-new', '-key', `${name}.key`, '-subj', subject, '-out', `${name}.csr`]);
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    `${name}.csr`,
    '-CA',
    `${ca}.pem`,
    '-CAkey',
    `${ca}.key`,
    '-CAcreateserial',
    '-days',
    String(days),
    '-sha256',
    '-extfile',
    `${name}.ext`,
    '-extensions',
    'ext',
    '-out',
    `${name}.pem`,
  ]);
}

async function selfSigned(dir: string, name: string, subject: string): Promise<void> {
  await key(dir, name);
  await writeFile(join(dir, `${name}.ext`), caExtensions.replace('keyid', 'keyid:always'));
  await openssl(dir, [
    'req',
    '-x509',
    '-new',
    '-key',
    `${name}.key`,
    '-subj',
    subject,
    '-days',
    '3650',
    '-sha256',
    '-config',
    `${name}.ext`,
    '-extensions',
    'ca',
    '-out',
    `${name}.pem`,
  ]);
}

/**
 * Creates two CAs with the `openssl` command line: an "Azure-like" chain (root named like DigiCert Global
 * Root G2, issuing CA named like Microsoft Azure RSA TLS Issuing CA 03) and "Contoso Proxy CA", the kind of
 * CA a TLS-inspecting proxy signs with. Call `remove()` in `afterAll`.
 */
export async function createPki(): Promise<Pki> {
  const dir = await mkdtemp(join(tmpdir(), 'acrcheck-pki-'));
  await selfSigned(dir, 'azure-root', testSubjects.azureRoot);
  await key(dir, 'azure-issuing');
  await sign(
    dir,
    'azure-issuing',
    testSubjects.azureIssuing,
    'azure-root',
    3650,
    caExtensions.replace('[ca]', '[ext]'),
  );
  await selfSigned(dir, 'contoso-root', testSubjects.contosoRoot);
  const pem = (name: string): Promise<string> => readFile(join(dir, `${name}.pem`), 'utf8');
  const azureRoot = await pem('azure-root');
  const azureIssuing = await pem('azure-issuing');
  const contosoRoot = await pem('contoso-root');
  let serial = 0;

  return {
    dir,
    azureRoot,
    azureRootFile: join(dir, 'azure-root.pem'),
    contosoRoot,
    contosoRootFile: join(dir, 'contoso-root.pem'),
    async leaf({ names, issuer = 'azure', expired = false }) {
      const name = `leaf-${++serial}`;
      await key(dir, name);
      const ext = [
        '[ext]',
        'basicConstraints = critical, CA:FALSE',
        'keyUsage = critical, digitalSignature',
        'extendedKeyUsage = serverAuth',
        `subjectAltName = ${names.map((n) => `DNS:${n}`).join(', ')}`,
      ].join('\n');
      const ca = issuer === 'azure' ? 'azure-issuing' : 'contoso-root';
      await sign(dir, name, `/CN=${names[0] ?? 'localhost'}`, ca, expired ? -1 : 30, ext);
      return {
        key: await readFile(join(dir, `${name}.key`), 'utf8'),
        cert: (await pem(name)) + (issuer === 'azure' ? azureIssuing : ''),
      };
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
