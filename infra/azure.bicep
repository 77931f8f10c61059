// acrcheck on Azure: a Linux App Service that runs the bot, a user-assigned managed identity the bot
// authenticates as (MicrosoftAppType=UserAssignedMSI, so no client secret exists anywhere), and an
// Azure Bot resource with the Microsoft Teams channel (./botRegistration/azurebot.bicep).
// infra/azure.parameters.json feeds the settings from env/.env.dev and the secrets from env/.env.dev.user.

@maxLength(20)
@minLength(4)
@description('Prefix of every resource name; the web app name must be unique across Azure')
param resourceBaseName string = 'acrcheck${take(uniqueString(resourceGroup().id), 8)}'

@maxLength(42)
@description('The name the Azure Bot resource shows')
param botDisplayName string = 'acrcheck'

@description('App Service plan SKU; B1 or above (Always On is not available on F1)')
param appServiceSku string = 'B1'

@description('Empty: run the code that azureAppService/zipDeploy uploads on Node 22. Otherwise a container image built from the Dockerfile, e.g. myregistry.azurecr.io/acrcheck:0.1.0, which the web app pulls with the managed identity; atk deploy then refuses, and you push new images instead')
param containerImage string = ''

@description('With containerImage: the Azure container registry that holds it, in containerRegistryResourceGroup; empty: the first label of the image\'s host (myregistry in myregistry.azurecr.io). The managed identity gets AcrPull on it')
param containerRegistryName string = ''

@description('With containerImage: the resource group of that registry; empty: this one')
param containerRegistryResourceGroup string = ''

@description('ACRCHECK_LOCAL_RUNNER: probe from the web app itself')
param localRunner bool = true

@description('ACRCHECK_RUNNERS: comma-separated name=https://host:port of runner services, besides the built-in local one')
param runners string = ''

@secure()
@description('ACRCHECK_RUNNER_SECRET: shared secret with the runner services and the GitHub workflow (needed with runners or githubRepo)')
param runnerSecret string = ''

@description('ACRCHECK_DNS_SERVERS: comma-separated host[:port] the probes ask instead of the system resolver')
param dnsServers string = ''

@description('ACRCHECK_GITHUB_REPO: owner/repo whose workflow probes from a GitHub-hosted or self-hosted runner')
param githubRepo string = ''

@description('ACRCHECK_GITHUB_WORKFLOW: the workflow file name, e.g. acrcheck-probe.yml')
param githubWorkflow string = ''

@secure()
@description('ACRCHECK_GITHUB_TOKEN: a token with Actions: write on githubRepo')
param githubToken string = ''

param location string = resourceGroup().location

// The Agents Toolkit leaves ${{NAME}} in infra/azure.parameters.json as it is when NAME is empty: that means not set.
func unlessUnset(value string) string => startsWith(value, '\${{') ? '' : value

var image = unlessUnset(containerImage)
var useContainer = !empty(image)
// A registry name has letters and digits only: myregistry.azurecr.io and myregistry-abc123.azurecr.io both say myregistry.
var imageRegistry = split(split(split(image, '/')[0], '.')[0], '-')[0]
var registryName = empty(unlessUnset(containerRegistryName)) ? imageRegistry : unlessUnset(containerRegistryName)
var registryGroup = unlessUnset(containerRegistryResourceGroup)
var registryResourceGroup = empty(registryGroup) ? resourceGroup().name : registryGroup

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: resourceBaseName
  location: location
}

// Lets the web app pull the image with the managed identity: no registry password, no admin user.
module acrPull './acrPull.bicep' = if (useContainer) {
  name: 'acrcheck-acr-pull'
  scope: resourceGroup(registryResourceGroup)
  params: {
    registryName: registryName
    principalId: identity.properties.principalId
  }
}

resource serverfarm 'Microsoft.Web/serverfarms@2024-11-01' = {
  name: resourceBaseName
  location: location
  kind: 'linux'
  sku: {
    name: appServiceSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2024-11-01' = {
  name: resourceBaseName
  location: location
  kind: useContainer ? 'app,linux,container' : 'app,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identity.id}': {}
    }
  }
  properties: {
    serverFarmId: serverfarm.id
    httpsOnly: true
    siteConfig: union(
      {
        linuxFxVersion: useContainer ? 'DOCKER|${image}' : 'NODE|22-lts'
        appCommandLine: useContainer ? '' : 'node dist/server.js'
        alwaysOn: true
        healthCheckPath: '/healthz'
        http20Enabled: true
        minTlsVersion: '1.2'
        ftpsState: 'Disabled'
      },
      useContainer
        ? {
            acrUseManagedIdentityCreds: true
            acrUserManagedIdentityID: identity.properties.clientId
          }
        : {}
    )
  }
  dependsOn: [
    acrPull
  ]
}

// No FTP or SCM (Kudu) user names and passwords: atk deploy uploads with the signed-in user's Microsoft Entra token.
resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-11-01' = {
  parent: webApp
  name: 'scm'
  properties: {
    allow: false
  }
}

// Its own resource so that ACRCHECK_PUBLIC_URL can name the host App Service assigned.
resource appSettings 'Microsoft.Web/sites/config@2024-11-01' = {
  parent: webApp
  name: 'appsettings'
  properties: union(
    {
      MicrosoftAppType: 'UserAssignedMSI'
      MicrosoftAppId: identity.properties.clientId
      MicrosoftAppTenantId: identity.properties.tenantId
      ACRCHECK_PUBLIC_URL: 'https://${webApp.properties.defaultHostName}'
      ACRCHECK_LOCAL_RUNNER: localRunner ? 'true' : 'false'
      ACRCHECK_RUNNERS: unlessUnset(runners)
      ACRCHECK_RUNNER_SECRET: unlessUnset(runnerSecret)
      ACRCHECK_DNS_SERVERS: unlessUnset(dnsServers)
      ACRCHECK_GITHUB_REPO: unlessUnset(githubRepo)
      ACRCHECK_GITHUB_WORKFLOW: unlessUnset(githubWorkflow)
      ACRCHECK_GITHUB_TOKEN: unlessUnset(githubToken)
      NODE_ENV: 'production'
    },
    useContainer
      ? {
          WEBSITES_PORT: '3978'
        }
      : {
          WEBSITE_RUN_FROM_PACKAGE: '1'
          SCM_DO_BUILD_DURING_DEPLOYMENT: 'false'
        }
  )
}

module azureBotRegistration './botRegistration/azurebot.bicep' = {
  name: 'Azure-Bot-registration'
  params: {
    resourceBaseName: resourceBaseName
    botDisplayName: botDisplayName
    identityClientId: identity.properties.clientId
    identityResourceId: identity.id
    identityTenantId: identity.properties.tenantId
    botAppDomain: webApp.properties.defaultHostName
  }
}

// Persisted by the Agents Toolkit into env/.env.<environment> (names upper-cased).
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_ID string = identity.properties.clientId
output BOT_TENANT_ID string = identity.properties.tenantId
output BOT_DOMAIN string = webApp.properties.defaultHostName
output BOT_ENDPOINT string = 'https://${webApp.properties.defaultHostName}'
