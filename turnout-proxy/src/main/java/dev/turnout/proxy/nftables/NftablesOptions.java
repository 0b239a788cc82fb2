package dev.turnout.proxy.nftables;

import dev.turnout.model.Cidr;
import java.util.List;

/**
 * What the nftables backend needs beyond the flags it shares with iptables mode
 * ({@link dev.turnout.proxy.iptables.IptablesConfig}).
 *
 * @param masqueradeAll {@code --masquerade-all}
 * @param preferSameTrafficDistribution the PreferSameTrafficDistribution feature gate
 * @param masqueradeMarkText null to derive the mark from {@code --masquerade-bit} as upstream does
 *     ({@code %#08x}); a fixed text such as {@code 0x4000} (upstream's unit tests) otherwise
 * @param serviceCidrs the Service CIDRs of this family (upstream learns them from ServiceCIDR
 *     objects); traffic to an unallocated address in them is dropped. Empty: no such rule.
 */
public record NftablesOptions(boolean masqueradeAll, boolean preferSameTrafficDistribution, String masqueradeMarkText,
        List<Cidr> serviceCidrs) {
    public static final NftablesOptions DEFAULTS = new NftablesOptions(false, true, null, List.of());

    public NftablesOptions {
        serviceCidrs = List.copyOf(serviceCidrs);
    }

    public NftablesOptions withServiceCidrs(List<Cidr> cidrs) {
        return new NftablesOptions(masqueradeAll, preferSameTrafficDistribution, masqueradeMarkText, cidrs);
    }
}
