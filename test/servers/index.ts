/**
 * Real servers on loopback for tests and benchmarks (see README.md beside this file). Everything binds a
 * random 127.x.y.z address; nothing resolves or connects beyond 127.0.0.0/8 and ::1.
 */
export { blackhole, type Blackhole } from './blackhole';
export { startDnsServer, type DnsQuery, type DnsRecord, type DnsServer } from './dns';
export { assertLoopback, isLoopback, listenOnLoopback, randomLoopback } from './loopback';
export { createPki, testSubjects, type Issuer, type Leaf, type LeafOptions, type Pki } from './pki';
export { startProxy, type ProxyMode, type ProxyOptions, type RecordedConnect, type TestProxy } from './proxy';
export {
  startPlainHttp,
  startRegistry,
  startTarpit,
  type Behaviour,
  type RecordedRequest,
  type RegistryDouble,
  type SiteOptions,
} from './registry';
export { startAcrWorld, type AcrWorld } from './world';
