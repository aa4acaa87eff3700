import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { sh } from '../peers';

/** A certificate and its key, as files and PEM text. */
export interface Issued {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

/** The test cluster's CA (ECDSA P-256, one day), which signs every serving and client certificate. */
export interface Pki {
  dir: string;
  ca: Issued;
  /** Base64 of the CA certificate PEM (kubeconfig `certificate-authority-data`, webhook `caBundle`). */
  caData: string;
  issue(
    name: string,
    options: {
      cn: string;
      organizations?: string[];
      ips?: string[];
      dnsNames?: string[];
    },
  ): Promise<Issued>;
}

/** An ECDSA P-256 key pair, PEM (PKCS#8 private, SPKI public). */
export function ecKeyPair() {
  return generateKeyPairSync('ec', {
    namedCurve: 'prime256v1',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
}

function writeKey(file: string, pem: string) {
  fs.writeFileSync(file, pem, { mode: 0o600 });
}

const read = (file: string) => fs.readFileSync(file, 'utf8');

/** Creates a CA in `dir` with openssl (Debian's), keys from node:crypto. */
export async function createPki(dir: string): Promise<Pki> {
  fs.mkdirSync(dir, { recursive: true });
  const caKey = path.join(dir, 'ca.key');
  const caCert = path.join(dir, 'ca.crt');
  writeKey(caKey, ecKeyPair().privateKey);
  const caExt = path.join(dir, 'ca.ext');
  fs.writeFileSync(
    caExt,
    [
      '[req]',
      'distinguished_name = dn',
      'x509_extensions = v3_ca',
      'prompt = no',
      '[dn]',
      'CN = llmops-test-ca',
      '[v3_ca]',
      'basicConstraints = critical, CA:TRUE',
      'keyUsage = critical, keyCertSign, cRLSign, digitalSignature',
      'subjectKeyIdentifier = hash',
      '',
    ].join('\n'),
  );
  await sh('openssl', [
    'req',
    '-x509',
    '-new',
    '-config',
    caExt,
    '-key',
    caKey,
    '-days',
    '2',
    '-out',
    caCert,
  ]);
  const ca: Issued = {
    certFile: caCert,
    keyFile: caKey,
    cert: read(caCert),
    key: read(caKey),
  };
  return {
    dir,
    ca,
    caData: Buffer.from(ca.cert).toString('base64'),
    async issue(name, options) {
      const keyFile = path.join(dir, `${name}.key`);
      const certFile = path.join(dir, `${name}.crt`);
      const csr = path.join(dir, `${name}.csr`);
      const ext = path.join(dir, `${name}.ext`);
      writeKey(keyFile, ecKeyPair().privateKey);
      const subject = [
        ...(options.organizations ?? []).map(o => `/O=${o}`),
        `/CN=${options.cn}`,
      ].join('');
      await sh('openssl', [
        'req',
        '-new',
        '-key',
        keyFile,
        '-subj',
        subject,
        '-out',
        csr,
      ]);
      const sans = [
        ...(options.ips ?? []).map(ip => `IP:${ip}`),
        ...(options.dnsNames ?? []).map(dns => `DNS:${dns}`),
      ];
      fs.writeFileSync(
        ext,
        [
          'basicConstraints = critical, CA:FALSE',
          'keyUsage = critical, digitalSignature, keyEncipherment',
          'extendedKeyUsage = serverAuth, clientAuth',
          'authorityKeyIdentifier = keyid',
          ...(sans.length ? [`subjectAltName = ${sans.join(', ')}`] : []),
          '',
        ].join('\n'),
      );
      await sh('openssl', [
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        caCert,
        '-CAkey',
        caKey,
        '-set_serial',
        `0x${randomBytes(8).toString('hex')}`,
        '-days',
        '2',
        '-extfile',
        ext,
        '-out',
        certFile,
      ]);
      return { certFile, keyFile, cert: read(certFile), key: read(keyFile) };
    },
  };
}
