using System.Xml.Linq;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;

namespace Governance.Web;

/// <summary>
/// ASP.NET Core Data Protection's keys (they sign the sign-in cookie and the forms' antiforgery
/// tokens) kept in the service's database, so every instance of a fleet reads what another wrote,
/// and a restart signs nobody out. The keys are stored as Data Protection writes them (not
/// encrypted again: whoever reads this database reads the record anyway; docs/security.md).
/// </summary>
public static class KeyRing
{
    public static WebApplicationBuilder AddSharedKeyRing(this WebApplicationBuilder builder)
    {
        builder.Services.ConfigureMarten(opts => opts.Schema.For<DataProtectionKey>());
        builder.Services.AddDataProtection().SetApplicationName("Governance");
        builder.Services.AddOptions<KeyManagementOptions>()
            .Configure<IDocumentStore>((options, store) => options.XmlRepository = new DatabaseXmlRepository(store));
        return builder;
    }

    /// <summary>One key of the ring, as Data Protection's XML.</summary>
    public sealed record DataProtectionKey(string Id, string Xml);

    private sealed class DatabaseXmlRepository(IDocumentStore store) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            // Data Protection asks synchronously (it caches the ring and asks again about once a day); Marten reads asynchronously only.
            using var session = store.QuerySession();
            var keys = session.Query<DataProtectionKey>().ToListAsync().GetAwaiter().GetResult();
            return [.. keys.Select(key => XElement.Parse(key.Xml))];
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var session = store.LightweightSession();
            session.Insert(new DataProtectionKey(friendlyName, element.ToString(SaveOptions.DisableFormatting)));
            // A key is written about once in 90 days.
            session.SaveChangesAsync().GetAwaiter().GetResult();
        }
    }
}
