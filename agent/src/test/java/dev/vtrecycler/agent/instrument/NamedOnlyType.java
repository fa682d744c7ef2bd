package dev.vtrecycler.agent.instrument;

import java.util.List;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;

/**
 * A type Byte Buddy has only named so far: reading anything beyond the name (its modifiers, its sort)
 * would mean parsing its class file, and fails the test that does it.
 */
public final class NamedOnlyType extends TypeDescription.Latent {
    public NamedOnlyType(String name) {
        super(name, 0, TypeDescription.Generic.OfNonGenericType.ForLoadedType.of(Object.class), List.of());
    }

    @Override
    public int getModifiers() {
        throw new AssertionError("read the modifiers of " + getName());
    }

    @Override
    public TypeDefinition.Sort getSort() {
        throw new AssertionError("read the sort of " + getName());
    }
}
