public enum MockTransportPlaceholder {}
