using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace OrderX.Messaging.Transport;

/// <summary>
/// A transport library's entry: the names <c>Messaging:Transport</c> knows it by, and how it registers its
/// <see cref="IMessageTransport"/> and settings for one service. The core library references no broker client;
/// each transport library brings its own plug-in, and whoever chooses the transport lists the plug-ins it offers.
/// </summary>
public interface ITransportPlugin
{
    /// <summary>The first name is the one documented; the others are accepted spellings.</summary>
    IReadOnlyList<string> Names { get; }

    void Register(IServiceCollection services, IConfiguration configuration, string serviceName);
}
