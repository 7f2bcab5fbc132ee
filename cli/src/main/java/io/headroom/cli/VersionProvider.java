package io.headroom.cli;

import picocli.CommandLine.IVersionProvider;

/** Reports the version the jar was built as. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Headroom.class.getPackage().getImplementationVersion();
        return new String[] {"headroom " + (version == null ? "(development build)" : version)};
    }
}
