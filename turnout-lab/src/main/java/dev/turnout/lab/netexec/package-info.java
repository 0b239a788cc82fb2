/**
 * {@link dev.turnout.lab.netexec.Netexec}, our take on the upstream e2e workload {@code agnhost netexec},
 * and {@link dev.turnout.lab.netexec.NetexecClient}, the traffic generator lab tests run in namespaces.
 * Both only ever handle IP literals and read the hostname from procfs: pod namespaces have no resolver.
 */
package dev.turnout.lab.netexec;
