// AcrPull on an existing Azure container registry for acrcheck's managed identity, so that App Service pulls the
// bot's image as that identity: no registry password and no admin user. Deployed into the registry's resource group.

@description('Name of the container registry, in the resource group this module is deployed to')
param registryName string

@description('Principal (object) id of the user-assigned managed identity that pulls')
param principalId string

// Built-in role AcrPull: pull images and other artifacts.
var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' existing = {
  name: registryName
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, principalId, acrPullRoleId)
  scope: registry
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
