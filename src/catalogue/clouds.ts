/**
 * The Azure clouds' container registry domains and the regions we know by name. Data only:
 * `src/target.ts` decides what may be probed from these tables.
 */

export interface Cloud {
  /** The cloud's name as the Azure CLI spells it. */
  id: string;
  /** Login servers are `<label>.<suffix>`; data endpoints `<label>.<region>.data.<suffix>`. */
  suffix: string;
  /** The private DNS zone a private endpoint's records live in, where the cloud has Private Link. */
  privateZone: string | null;
  /** True for clouds that no longer take new registries (kept so old pastes are still recognized). */
  retired: boolean;
}

export const clouds = [
  { id: 'AzureCloud', suffix: 'azurecr.io', privateZone: 'privatelink.azurecr.io', retired: false },
  { id: 'AzureChinaCloud', suffix: 'azurecr.cn', privateZone: 'privatelink.azurecr.cn', retired: false },
  { id: 'AzureUSGovernment', suffix: 'azurecr.us', privateZone: 'privatelink.azurecr.us', retired: false },
  { id: 'AzureGermanCloud', suffix: 'azurecr.de', privateZone: null, retired: true },
  { id: 'USNat', suffix: 'azurecr.eaglex.ic.gov', privateZone: null, retired: false },
  { id: 'USSec', suffix: 'azurecr.microsoft.scloud', privateZone: null, retired: false },
] as const satisfies readonly Cloud[];

/** Registry name rules: 5–50 ASCII letters and digits (Registries_CheckNameAvailability). */
export const registryNameLength = { min: 5, max: 50 } as const;

/**
 * Azure region names as they appear in data endpoints and CNAME chains
 * (`<r>.<region>.data.azurecr.io`, `r0318eus-az.<region>.cloudapp.azure.com`).
 */
// prettier-ignore
export const regions = [
  'eastus', 'eastus2', 'westus', 'westus2', 'westus3', 'centralus', 'northcentralus', 'southcentralus',
  'westcentralus', 'canadacentral', 'canadaeast', 'brazilsouth', 'brazilsoutheast', 'mexicocentral',
  'chilecentral', 'northeurope', 'westeurope', 'uksouth', 'ukwest', 'francecentral', 'francesouth',
  'germanywestcentral', 'germanynorth', 'switzerlandnorth', 'switzerlandwest', 'norwayeast', 'norwaywest',
  'swedencentral', 'swedensouth', 'polandcentral', 'italynorth', 'spaincentral', 'austriaeast',
  'belgiumcentral', 'denmarkeast', 'eastasia', 'southeastasia', 'japaneast', 'japanwest', 'koreacentral',
  'koreasouth', 'australiaeast', 'australiasoutheast', 'australiacentral', 'australiacentral2',
  'centralindia', 'southindia', 'westindia', 'jioindiawest', 'jioindiacentral', 'uaenorth', 'uaecentral',
  'qatarcentral', 'israelcentral', 'southafricanorth', 'southafricawest', 'newzealandnorth',
  'indonesiacentral', 'malaysiawest', 'eastus2euap', 'centraluseuap', 'chinaeast', 'chinaeast2',
  'chinaeast3', 'chinanorth', 'chinanorth2', 'chinanorth3', 'usgovvirginia', 'usgovtexas', 'usgovarizona',
  'usgoviowa', 'usdodeast', 'usdodcentral',
] as const;
export type Region = (typeof regions)[number];
