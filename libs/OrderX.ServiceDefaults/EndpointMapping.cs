using Microsoft.AspNetCore.Routing;

namespace OrderX.ServiceDefaults;

/// <summary>
/// Endpoints a library adds to every service that uses it (the outbox's status, say), mapped by
/// <see cref="OrderXBuilder.UseOrderXDefaults"/> after authentication, so each service's host needs no line for them.
/// </summary>
public sealed record EndpointMapping(Action<IEndpointRouteBuilder> Map);
