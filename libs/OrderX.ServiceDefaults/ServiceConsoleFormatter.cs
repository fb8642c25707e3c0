using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace OrderX.ServiceDefaults;

public sealed class ServiceConsoleFormatterOptions : ConsoleFormatterOptions
{
    public string Service { get; set; } = "";
}

/// <summary>One line per entry, tagged with the service: the all-in-one log reads like the distributed logs side by side.</summary>
public sealed class ServiceConsoleFormatter(IOptionsMonitor<ServiceConsoleFormatterOptions> options) : ConsoleFormatter(FormatterName)
{
    public const string FormatterName = "orderx";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (message is null && logEntry.Exception is null)
            return;
        var category = logEntry.Category;
        var lastDot = category.LastIndexOf('.');
        textWriter.Write(DateTime.Now.ToString("HH:mm:ss.fff"));
        textWriter.Write(' ');
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(" [");
        textWriter.Write(options.CurrentValue.Service);
        textWriter.Write("] ");
        textWriter.Write(lastDot >= 0 ? category.AsSpan(lastDot + 1) : category);
        textWriter.Write(": ");
        textWriter.WriteLine(message);
        if (logEntry.Exception is not null)
            textWriter.WriteLine(logEntry.Exception.ToString());
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "    ",
    };
}
