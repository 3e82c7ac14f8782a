namespace Governance.Registry;

/// <summary>
/// An event that may open a stream of an organisation (every stream's first event is one). It names
/// the organisation, so the stream's owner is known from it: the one declaration that
/// <see cref="StreamOwnerProjection"/> and the live registry both go by.
/// </summary>
public interface IStreamOpening
{
    Guid OrgId { get; }
}
