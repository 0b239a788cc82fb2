package dev.turnout.cli.e2e;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the e2e waits look for, written once in iptables terms (the comments iptables mode writes)
 * and found in either mode's listing. In nftables mode:
 * <ul>
 *   <li>{@code NS/SVC:PORT cluster IP}: a map element going to the port's service- or local- chain;
 *   <li>{@code ... loadbalancer IP} / {@code ... external IP}: one going to its external- or firewall- chain;
 *   <li>{@code ... has no endpoints}: a no-endpoint element commented with the port's name;
 *   <li>{@code ... -> IP[:PORT]}: a jump from the port's chains to that endpoint's chain;
 *   <li>{@code NS/SVC:PORT} alone: any element of the port (flushed chains waiting for deletion
 *       do not count);
 *   <li>{@code kubernetes service nodeports}: the services chain.
 * </ul>
 */
final class RuleMarkers {
    private static final Pattern PORT = Pattern.compile("([^/ ]+)/([^: ]+):(\\S+)(?: (.*))?");

    private RuleMarkers() {
    }

    static boolean has(String mode, String rules, String marker) {
        if (!"nftables".equals(mode)) {
            return rules.contains(marker);
        }
        if (marker.equals("kubernetes service nodeports")) {
            return rules.contains("chain services {");
        }
        Matcher m = PORT.matcher(marker);
        if (!m.matches()) {
            return rules.contains(marker);
        }
        String ns = Pattern.quote(m.group(1));
        String svc = Pattern.quote(m.group(2));
        String port = Pattern.quote(m.group(3));
        String rest = m.group(4);
        String base = "-[A-Z2-7]{8}-" + ns + "/" + svc + "/[a-z]+/" + port;
        String regex;
        if (rest == null) {
            regex = "goto [a-z]+" + base + "\\b|comment \"" + ns + "/" + svc + ":" + port + "\"";
        } else if (rest.equals("cluster IP")) {
            regex = "goto (service|local)" + base + "\\b";
        } else if (rest.equals("loadbalancer IP") || rest.equals("external IP")) {
            regex = "goto (external|firewall)" + base + "\\b";
        } else if (rest.equals("has no endpoints")) {
            regex = "comment \"" + ns + "/" + svc + ":" + port + "\"";
        } else if (rest.startsWith("-> ")) {
            String ep = rest.substring(3);
            int colon = ep.lastIndexOf(':');
            String ip = colon < 0 ? ep : ep.substring(0, colon);
            String epPort = colon < 0 ? "[0-9]+" : Pattern.quote(ep.substring(colon + 1));
            regex = "goto endpoint" + base + "__" + Pattern.quote(ip) + "/" + epPort + "\\b";
        } else {
            return rules.contains(marker);
        }
        return Pattern.compile(regex).matcher(rules).find();
    }
}
