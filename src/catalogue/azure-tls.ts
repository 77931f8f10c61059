/**
 * The certificate authorities Azure's public endpoints chain to, by subject common name, from "Azure
 * Certificate Authority details" (https://learn.microsoft.com/azure/security/fundamentals/azure-ca-details,
 * revision of 2025-10). A registry certificate issued by anything else was issued by something in between:
 * a TLS-inspecting proxy or firewall. Names only classify; trust is decided by the chain's signatures.
 */

export interface TlsAuthority {
  name: string;
  kind: 'root' | 'issuing';
}

/** Azure's public root and issuing CAs, by subject common name. */
export const azureTlsAuthorities = [
  { name: 'DigiCert Global Root CA', kind: 'root' },
  { name: 'DigiCert Global Root G2', kind: 'root' },
  { name: 'DigiCert Global Root G3', kind: 'root' },
  { name: 'DigiCert TLS ECC P384 Root G5', kind: 'root' },
  { name: 'DigiCert TLS RSA 4096 Root G5', kind: 'root' },
  { name: 'Microsoft ECC Root Certificate Authority 2017', kind: 'root' },
  { name: 'Microsoft RSA Root Certificate Authority 2017', kind: 'root' },
  { name: 'Microsoft TLS RSA Root G2', kind: 'root' },
  { name: 'Microsoft TLS ECC Root G2', kind: 'root' },
  { name: 'Baltimore CyberTrust Root', kind: 'root' },
  { name: 'DigiCert Basic OV G2 TLS CN RSA4096 SHA256 2022 CA1', kind: 'issuing' },
  { name: 'DigiCert Basic OV G3 TLS CN ECC P-384 SHA384 2022 CA1', kind: 'issuing' },
  { name: 'DigiCert Basic RSA CN CA G2', kind: 'issuing' },
  { name: 'DigiCert Cloud Services CA-1', kind: 'issuing' },
  { name: 'DigiCert Global G2 TLS RSA SHA256 2020 CA1', kind: 'issuing' },
  { name: 'DigiCert Global G3 TLS ECC SHA384 2020 CA1', kind: 'issuing' },
  { name: 'DigiCert SHA2 Secure Server CA', kind: 'issuing' },
  { name: 'DigiCert TLS Hybrid ECC SHA384 2020 CA1', kind: 'issuing' },
  { name: 'DigiCert TLS RSA SHA256 2020 CA1', kind: 'issuing' },
  { name: 'GeoTrust Global TLS RSA4096 SHA256 2022 CA1', kind: 'issuing' },
  { name: 'Microsoft Azure RSA TLS Issuing CA 03', kind: 'issuing' },
  { name: 'Microsoft Azure RSA TLS Issuing CA 04', kind: 'issuing' },
  { name: 'Microsoft Azure RSA TLS Issuing CA 07', kind: 'issuing' },
  { name: 'Microsoft Azure RSA TLS Issuing CA 08', kind: 'issuing' },
  { name: 'Microsoft Azure ECC TLS Issuing CA 03', kind: 'issuing' },
  { name: 'Microsoft Azure ECC TLS Issuing CA 04', kind: 'issuing' },
  { name: 'Microsoft Azure ECC TLS Issuing CA 07', kind: 'issuing' },
  { name: 'Microsoft Azure ECC TLS Issuing CA 08', kind: 'issuing' },
  { name: 'Microsoft Azure TLS Issuing CA 01', kind: 'issuing' },
  { name: 'Microsoft Azure TLS Issuing CA 02', kind: 'issuing' },
  { name: 'Microsoft Azure TLS Issuing CA 05', kind: 'issuing' },
  { name: 'Microsoft Azure TLS Issuing CA 06', kind: 'issuing' },
  { name: 'Microsoft Azure ECC TLS Issuing CA 01', kind: 'issuing' },
  { name: 'Microsoft Azure ECC TLS Issuing CA 02', kind: 'issuing' },
  { name: 'Microsoft Azure ECC TLS Issuing CA 05', kind: 'issuing' },
  { name: 'Microsoft Azure ECC TLS Issuing CA 06', kind: 'issuing' },
  { name: 'Microsoft RSA TLS CA 01', kind: 'issuing' },
  { name: 'Microsoft RSA TLS CA 02', kind: 'issuing' },
] as const satisfies readonly TlsAuthority[];
