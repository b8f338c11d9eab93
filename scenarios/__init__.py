"""The bundled sample city (湘潭市) and its scenarios, and the script that makes its inventory."""
