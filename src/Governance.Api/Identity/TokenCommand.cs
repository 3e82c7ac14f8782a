namespace Governance.Identity;

/// <summary>
/// <c>dotnet run --project src/Governance.Api -- token --email ana@acme.test --name Ana [--subject S] [--hours 8]</c>:
/// prints a bearer token signed with <c>Governance__Auth__SigningKey</c>, for setups without an
/// identity provider. It starts nothing (no database, no host): the token is the only output.
/// </summary>
public static class TokenCommand
{
    public const string Name = "token";

    public static int Run(IReadOnlyList<string> args, IConfiguration configuration)
    {
        string? Option(string name) => args.SkipWhile(a => a != $"--{name}").Skip(1).FirstOrDefault();
        var key = configuration.GetSection(AuthOptions.Section)[nameof(AuthOptions.SigningKey)];
        var email = Option("email");
        if (string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(email))
        {
            Console.Error.WriteLine(string.IsNullOrWhiteSpace(key)
                ? "Set Governance__Auth__SigningKey (the key the service checks tokens with) to make a token."
                : "Say whose token it is: token --email ana@acme.test --name Ana [--subject S] [--hours 8]");
            return 1;
        }
        var hours = int.TryParse(Option("hours"), out var h) ? Math.Clamp(h, 1, 24 * 366) : 8;
        Console.WriteLine(LocalTokens.Issue(key, Option("subject") ?? email, email, Option("name") ?? email, TimeSpan.FromHours(hours)));
        return 0;
    }
}
