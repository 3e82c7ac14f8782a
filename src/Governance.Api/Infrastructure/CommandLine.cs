namespace Governance.Infrastructure;

/// <summary>What the command line asks of the program: the service itself, or one of its commands (<c>db-apply</c>, <c>verify</c>, ...).</summary>
public static class CommandLine
{
    /// <summary>JasperFx runs the service (<c>run</c>) when no command is named: no arguments, or options only (<c>--urls ...</c>).</summary>
    public static bool ServesRequests(string[] args) =>
        args is [] || args[0].StartsWith('-') || args[0].Equals("run", StringComparison.OrdinalIgnoreCase);
}
