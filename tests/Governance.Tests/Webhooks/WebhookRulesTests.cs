using System.Net;
using FluentAssertions;
using Governance.Tests.Support;
using Governance.Webhooks;
using StandardWebhooks;

namespace Governance.Tests.Webhooks;

/// <summary>The signature and the SSRF rule, checked directly.</summary>
public sealed class WebhookRulesTests
{
    [Fact]
    public void The_signature_is_the_standard_webhooks_specifications_example()
    {
        // The example of the specification (github.com/standard-webhooks/standard-webhooks, spec/standard-webhooks.md).
        var signature = new StandardWebhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", DateTimeOffset.FromUnixTimeSeconds(1614265330), "{\"test\": 2432232314}");
        signature.Should().Be("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.20.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("0.0.0.0", true)]
    [InlineData("::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("64:ff9b::a00:1", true)]
    [InlineData("2002:c0a8:101::1", true)]
    [InlineData("2001:0:4136:e378::1", true)]
    [InlineData("::a00:1", true)]
    [InlineData("64:ff9b::5db8:d70e", false)]
    [InlineData("2002:5db8:d70e::1", false)]
    [InlineData("93.184.215.14", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("2606:4700::1111", false)]
    public void Private_and_loopback_addresses_are_recognised(string address, bool isPrivate) =>
        WebhookTargets.IsPrivate(IPAddress.Parse(address)).Should().Be(isPrivate);

    [Fact]
    public void A_private_target_is_refused_unless_allowed()
    {
        WebhookTargets.Check("http://127.0.0.1:9000/hook", allowPrivate: false)!.Status.Should().Be(422);
        WebhookTargets.Check("http://localhost/hook", allowPrivate: false)!.Type.Should().EndWith("webhook-target-private");
        WebhookTargets.Check("http://169.254.169.254/latest/meta-data", allowPrivate: false).Should().NotBeNull();
        WebhookTargets.Check("https://desk.example.org/hook", allowPrivate: false).Should().BeNull();
        WebhookTargets.Check("http://127.0.0.1:9000/hook", allowPrivate: true).Should().BeNull();
    }

    [Fact]
    public async Task The_connection_itself_is_refused_for_a_name_that_resolves_to_a_private_address()
    {
        await using var desk = await WebhookReceiver.StartAsync();
        using var client = new HttpClient(WebhookTargets.Handler(allowPrivate: false));
        var send = () => client.PostAsync(desk.Url.Replace("127.0.0.1", "localhost"), new StringContent("{}"));
        (await send.Should().ThrowAsync<HttpRequestException>()).WithInnerException<WebhookTargetRefusedException>();
        desk.Received.Should().BeEmpty();
    }

    [Fact]
    public void A_pending_delivery_with_nothing_scheduled_for_an_hour_is_stalled_and_may_be_sent_again()
    {
        var now = new DateTimeOffset(2027, 1, 4, 12, 0, 0, TimeSpan.Zero);
        var pending = new WebhookDelivery { Status = DeliveryStatus.Pending, CreatedAt = now.AddHours(-2) };
        Deliveries.Stalled(pending, now).Should().BeTrue();
        Deliveries.Stalled(pending with { LastAttemptAt = now.AddMinutes(-5) }, now).Should().BeFalse("an attempt was made a moment ago");
        Deliveries.Stalled(pending with { NextAttemptAt = now.AddMinutes(10) }, now).Should().BeFalse("its next attempt is scheduled");
        Deliveries.Stalled(pending with { Status = DeliveryStatus.Delivered }, now).Should().BeFalse();
    }
}
