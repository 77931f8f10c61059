// The Azure Bot resource for acrcheck: Teams reaches the bot at https://<botAppDomain>/api/messages, and the
// bot authenticates as the user-assigned managed identity (msaAppType UserAssignedMSI), never with a secret.

@maxLength(20)
@minLength(4)
@description('Used to name the Azure Bot resource')
param resourceBaseName string

@maxLength(42)
param botDisplayName string

param botServiceName string = resourceBaseName

@description('F0 (free) is enough for Teams; S1 lifts the message limits of premium channels')
param botServiceSku string = 'F0'

@description('Client id of the user-assigned managed identity: the bot\'s Microsoft App ID')
param identityClientId string

@description('Resource id of that managed identity')
param identityResourceId string

param identityTenantId string

@description('Host name of the web app that serves /api/messages')
param botAppDomain string

resource botService 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botServiceName
  location: 'global'
  kind: 'azurebot'
  sku: {
    name: botServiceSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: 'https://${botAppDomain}/api/messages'
    msaAppId: identityClientId
    msaAppType: 'UserAssignedMSI'
    msaAppMSIResourceId: identityResourceId
    msaAppTenantId: identityTenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: botService
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
    }
  }
}

output botServiceName string = botService.name
