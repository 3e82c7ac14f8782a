using JasperFx.CommandLine;

namespace Governance.Identity;

public sealed class TokenInput : NetCoreInput
{
    [Description("The e-mail of the person the token speaks for (a person of the organisation with this e-mail, or its founder)")]
    public string EmailFlag { get; set; } = "";

    [Description("The person's name")]
    public string NameFlag { get; set; } = "";

    [Description("The subject (sub claim); defaults to the e-mail")]
    public string? SubjectFlag { get; set; }

    [Description("Hours until the token expires (default 8)")]
    public int HoursFlag { get; set; } = 8;
}

/// <summary>
/// <c>dotnet run --project src/Governance.Api -- token --email ana@acme.test --name Ana</c>: prints a
/// bearer token signed with <c>Governance__Auth__SigningKey</c>, for setups without an identity provider.
/// </summary>
[Description("Prints a bearer token for a person, signed with Governance__Auth__SigningKey (HS256).", Name = "token")]
public sealed class TokenCommand : JasperFxCommand<TokenInput>
{
    public override bool Execute(TokenInput input)
    {
        var section = input.BuildHost().Services.GetRequiredService<IConfiguration>().GetSection(AuthOptions.Section);
        var key = section[nameof(AuthOptions.SigningKey)];
        if (string.IsNullOrWhiteSpace(key) || input.EmailFlag.Length == 0)
        {
            Console.Error.WriteLine(string.IsNullOrWhiteSpace(key)
                ? "Set Governance__Auth__SigningKey (the key the service checks tokens with) to make a token."
                : "Say whose token it is: --email ana@acme.test --name Ana");
            return false;
        }
        var name = input.NameFlag.Length > 0 ? input.NameFlag : input.EmailFlag;
        Console.WriteLine(LocalTokens.Issue(key, input.SubjectFlag ?? input.EmailFlag, input.EmailFlag, name, TimeSpan.FromHours(Math.Clamp(input.HoursFlag, 1, 24 * 366))));
        return true;
    }
}
