using System.Reflection;

namespace OrderX.Contracts;

/// <summary>Every integration event this library defines, with its wire name: for tools and checks that need the whole list.</summary>
public static class IntegrationEvents
{
    public static IReadOnlyList<(Type Event, string Name)> All { get; } = typeof(IIntegrationEvent).Assembly.GetTypes()
        .Where(type => type is { IsClass: true, IsAbstract: false } && typeof(IIntegrationEvent).IsAssignableFrom(type))
        .Select(type => (type, (string)type.GetProperty(nameof(IIntegrationEvent.EventType), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!))
        .OrderBy(e => e.Item2, StringComparer.Ordinal)
        .ToList();
}
