package teagrad.web;

import java.util.ArrayList;
import java.util.List;

/** The page's side of the port, on the JVM: every posted message, in order. */
final class ListPort implements Port {
    final List<MapMessage> posted = new ArrayList<>();

    @Override public Message object() { return new MapMessage(); }

    @Override public void post(Message message) { posted.add((MapMessage) message); }

    /** The types posted so far, and forget them. */
    List<String> take() {
        List<String> types = new ArrayList<>();
        for (MapMessage m : posted) types.add(m.string("type"));
        posted.clear();
        return types;
    }

    MapMessage last(String type) {
        for (int i = posted.size() - 1; i >= 0; i--) if (type.equals(posted.get(i).string("type"))) return posted.get(i);
        throw new AssertionError("no " + type + " among " + posted);
    }
}
