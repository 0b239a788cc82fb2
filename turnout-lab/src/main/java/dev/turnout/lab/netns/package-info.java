/**
 * The kernel seam: named network namespaces via {@code ip netns}, with every command going through a
 * {@link dev.turnout.lab.netns.CommandRunner} so tests can record instead of execute.
 */
package dev.turnout.lab.netns;
