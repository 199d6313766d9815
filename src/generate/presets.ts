/** The sizes of the synthetic organizations that `whocan generate` can produce. */

export interface Preset {
  readonly name: PresetName;
  readonly accounts: number;
  readonly users: number;
  readonly groups: number;
  readonly roles: number;
  /** Customer managed policies (AWS managed ones come on top, only where attached). */
  readonly policies: number;
  readonly restApis: number;
  readonly methodsPerApi: number;
  readonly stagesPerApi: number;
  readonly httpApis: number;
  readonly routesPerHttpApi: number;
  readonly regions: readonly string[];
  /** Accounts outside the organization that policies name (partners); never ingested. */
  readonly partnerAccounts: number;
}

export const PRESET_NAMES = ['small', 'medium', 'large'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  small: {
    name: 'small',
    accounts: 3,
    users: 300,
    groups: 30,
    roles: 120,
    policies: 300,
    restApis: 12,
    methodsPerApi: 10,
    stagesPerApi: 2,
    httpApis: 3,
    routesPerHttpApi: 6,
    regions: ['us-east-1'],
    partnerAccounts: 2,
  },
  medium: {
    name: 'medium',
    accounts: 10,
    users: 5000,
    groups: 500,
    roles: 2000,
    policies: 5000,
    restApis: 200,
    methodsPerApi: 30,
    stagesPerApi: 2,
    httpApis: 40,
    routesPerHttpApi: 10,
    regions: ['us-east-1', 'eu-west-1'],
    partnerAccounts: 5,
  },
  large: {
    name: 'large',
    accounts: 50,
    users: 25000,
    groups: 2500,
    roles: 10000,
    policies: 25000,
    restApis: 1000,
    methodsPerApi: 40,
    stagesPerApi: 2,
    httpApis: 200,
    routesPerHttpApi: 12,
    regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'],
    partnerAccounts: 10,
  },
};

export function isPresetName(value: string): value is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(value);
}
