package dev.tempora.models;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleDictNamesTest {

    @Test
    void namesThatCanNameAMemberAreKeptAndOthersEscaped() {
        assertEquals("sku-1 volume", ModuleDict.memberName("sku-1 volume"));
        assertEquals("pm2_5", ModuleDict.memberName("pm2.5"));
        assertEquals("a_b_c", ModuleDict.memberName("a.b-c"));
        assertEquals("_", ModuleDict.memberName(""));
    }

    @Test
    void entriesKeepTheirNamesWhileParametersUseTheEscapedOnes() {
        ModuleDict<Linear> dict = new ModuleDict<>();
        java.util.Random rng = new java.util.Random(1);
        Linear dotted = dict.put("pm2.5", new Linear(1, 2, true, rng));
        assertSame(dotted, dict.get("pm2.5"));
        assertEquals(List.of("pm2_5.weight", "pm2_5.bias"), List.copyOf(dict.stateDict().keySet()));
    }

    @Test
    void twoNamesEscapedToTheSameMemberAreRefusedNamingBoth() {
        ModuleDict<Linear> dict = new ModuleDict<>();
        java.util.Random rng = new java.util.Random(1);
        dict.put("pm2.5", new Linear(1, 2, true, rng));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dict.put("pm2_5", new Linear(1, 2, true, rng)));
        assertTrue(e.getMessage().contains("'pm2.5' and 'pm2_5' both become the parameter name 'pm2_5'"), e.getMessage());
    }
}
