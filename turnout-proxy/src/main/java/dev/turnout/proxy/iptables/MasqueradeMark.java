package dev.turnout.proxy.iptables;

/**
 * The fwmark bit that flags packets for SNAT. Upstream renders {@code 1 << masqueradeBit} with Go's
 * {@code %#08x}: Go zero-pads the digits (not counting the {@code 0x} prefix) to 8, so bit 14
 * becomes {@code 0x00004000}. iptables normalises it to {@code 0x4000} when listing, and
 * upstream's unit tests hard-code {@code 0x4000}; {@link #of(String)} allows that spelling.
 */
public record MasqueradeMark(String text) {

    public static MasqueradeMark fromBit(int bit) {
        if (bit < 0 || bit > 31) {
            throw new IllegalArgumentException("masquerade bit " + bit + " is out of range 0..31");
        }
        String hex = Long.toHexString(1L << bit);
        StringBuilder sb = new StringBuilder("0x");
        for (int i = hex.length(); i < 8; i++) {
            sb.append('0');
        }
        return new MasqueradeMark(sb.append(hex).toString());
    }

    public static MasqueradeMark of(String text) {
        return new MasqueradeMark(text);
    }

    /** {@code mark/mark}, as the {@code -m mark --mark} match wants it. */
    public String withMask() {
        return text + "/" + text;
    }

    @Override
    public String toString() {
        return text;
    }
}
