package dev.turnout.cli;

import dev.turnout.model.manifest.ManifestLoader;
import dev.turnout.model.manifest.Manifests;
import dev.turnout.proxy.ProxyState;
import dev.turnout.proxy.ProxyStates;
import dev.turnout.proxy.iptables.IptablesCompiler;
import dev.turnout.proxy.iptables.IptablesConfig;
import dev.turnout.proxy.iptables.SyncInput;
import dev.turnout.proxy.nftables.NftSyncInput;
import dev.turnout.proxy.nftables.NftablesCompiler;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code turnout rules}: print the ruleset of a first (full) sync for the given objects. */
@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Print the rules a node's proxy writes for the given Services and EndpointSlices "
                + "(the iptables-restore input, or the nft transaction, of a first, full sync).")
final class RulesCommand implements Callable<Integer> {
    @Option(names = "--mode", defaultValue = "iptables", paramLabel = "MODE",
            description = "Dataplane: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Mode mode;

    @Option(names = "--manifests", required = true, paramLabel = "PATH",
            description = "A YAML/JSON file or a directory of them: Services, EndpointSlices, Nodes.")
    Path manifests;

    @Mixin
    DataplaneOptions dataplane;

    enum Mode { iptables, nftables }

    @Override
    public Integer call() throws Exception {
        IptablesConfig config = dataplane.toConfig();
        Manifests m = new ManifestLoader().load(manifests);
        ProxyState state = ProxyStates.of(m.services(), m.endpointSlices(), m.nodes(), config.family(), config.nodeName());
        switch (mode) {
            case nftables -> System.out.print(new NftablesCompiler(config).compile(NftSyncInput.full(state)).text());
            default -> System.out.print(new IptablesCompiler(config).compile(SyncInput.full(state)).restoreInput());
        }
        return 0;
    }
}
